"""The release: atomic publishing into `.releases/`, precompression and the security headers."""
