"""Loading the content folder: every record and hand-written page read and checked at once, and the
photos made fit to publish. Hands a validated `Site` (records.model) to the builders; never imports them.
"""
