"""Data layer of 匠心滨州: records → validated model → pages. Imports nothing from MkDocs."""
