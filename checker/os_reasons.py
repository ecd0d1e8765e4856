"""Why the operating system refused, in Chinese: an OSError's strerror is the C library's English
("No such file or directory"), which would stand alone in a Chinese message."""

from __future__ import annotations

import errno

_REASONS = {
    errno.ENOENT: "文件或目录不存在",
    errno.EACCES: "没有访问权限",
    errno.EPERM: "操作不被允许（权限不足）",
    errno.EISDIR: "这是一个目录，不是文件",
    errno.ENOTDIR: "路径中有一段不是目录",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件系统是只读的",
    errno.EEXIST: "文件已存在",
    errno.ENAMETOOLONG: "文件名过长",
    errno.ELOOP: "符号链接层数过多",
    errno.EIO: "读写设备时出错",
    errno.EMFILE: "打开的文件过多",
    errno.ENFILE: "系统打开的文件过多",
    errno.EFBIG: "文件过大",
    errno.EBUSY: "文件或设备正被占用",
    errno.ETXTBSY: "文件正被占用",
    errno.EXDEV: "不能跨文件系统移动",
    errno.EADDRINUSE: "端口已被占用",
    errno.EADDRNOTAVAIL: "本机没有这个地址",
    errno.ENOMEM: "内存不足",
    errno.EINVAL: "参数无效",
    errno.ENXIO: "设备不存在",
    errno.EAGAIN: "资源暂时不可用",
    errno.EPIPE: "管道已关闭",
    errno.EDQUOT: "超出磁盘配额",
}


def os_reason(error: OSError) -> str:
    """The reason an OSError gives, said in Chinese (the error number kept where it has no name
    here, so that nothing is lost)."""
    reason = _REASONS.get(error.errno)
    if reason:
        return reason
    if error.errno is not None:
        return f"系统错误 {errno.errorcode.get(error.errno, error.errno)}（{error.strerror}）"
    return f"系统错误（{error}）"
