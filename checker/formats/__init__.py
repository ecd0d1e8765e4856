"""Stage 6: findings written out. Formats read findings and document facts, nothing else."""
