"""The site builders: pure functions from one build context to pages and files (profiles, directory,
pillars, dashboard, exports, feeds, posters, names index, the form's configuration).

They read the validated model; they never import the loader, the engine or MkDocs.
"""
