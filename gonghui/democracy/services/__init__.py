"""Every write and workflow rule of democratic management, one module per part:
`from gonghui.democracy.services import elections` then `elections.cast_ballot(...)`."""
