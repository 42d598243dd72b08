"""评先评优: awards, model workers and group assessment."""
