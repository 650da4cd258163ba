"""Payments repeated within a file (``KBC907``, ``KBC908``), found in flat memory: the keys of each payment
(`tracker`), their hashes logged on disk and the hashes met more than once found partition by partition
(`hash_log`), and the keys of those compared on disk (`key_log`). Shared by every reader (`files/`) and by the
pain.001 engine (`pain001/`); it imports neither."""
