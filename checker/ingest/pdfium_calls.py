"""PDFium's C functions bound with every pointer as a plain address (void*).

pypdfium2 types each handle (FPDF_PAGEOBJECT, FPDF_TEXTPAGE …) as a pointer to its own opaque
struct: a call returning one builds a ctypes pointer object, a call taking one checks and converts
it — about 40% of a call's cost. Reading a page makes tens of thousands of calls (every page
object is asked its type, every character its box, every segment of a cell border its point), so
the hot ones are bound again here, on the same C functions, taking and returning ints: a handle
as its address, an output buffer as ctypes.addressof(buffer)."""

from __future__ import annotations

import ctypes

import pypdfium2.raw as raw


def _plain(kind):
    return ctypes.c_void_p if kind is not None and issubclass(kind, ctypes._Pointer) else kind


def lean(function):
    """`function` (a pypdfium2.raw function) with its pointer arguments and result as void*."""
    prototype = ctypes.CFUNCTYPE(_plain(function.restype), *map(_plain, function.argtypes))
    return prototype(ctypes.cast(function, ctypes.c_void_p).value)


def address(handle) -> int:
    """A pypdfium2 handle (page.raw, textpage.raw) as the int the lean functions take."""
    return ctypes.cast(handle, ctypes.c_void_p).value


count_objects = lean(raw.FPDFPage_CountObjects)
get_object = lean(raw.FPDFPage_GetObject)
object_type = lean(raw.FPDFPageObj_GetType)
object_bounds = lean(raw.FPDFPageObj_GetBounds)
object_matrix = lean(raw.FPDFPageObj_GetMatrix)
form_count = lean(raw.FPDFFormObj_CountObjects)
form_object = lean(raw.FPDFFormObj_GetObject)
count_segments = lean(raw.FPDFPath_CountSegments)
get_segment = lean(raw.FPDFPath_GetPathSegment)
segment_point = lean(raw.FPDFPathSegment_GetPoint)
segment_type = lean(raw.FPDFPathSegment_GetType)
segment_close = lean(raw.FPDFPathSegment_GetClose)
loose_box = lean(raw.FPDFText_GetLooseCharBox)
char_box = lean(raw.FPDFText_GetCharBox)
char_angle = lean(raw.FPDFText_GetCharAngle)
is_generated = lean(raw.FPDFText_IsGenerated)
