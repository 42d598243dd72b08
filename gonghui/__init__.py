"""gonghui: the working system of a grassroots trade union."""
