"""The mock developer server: a Starlette app served by uvicorn, in the caller's asyncio loop or in
a thread of its own."""

#: The users a new mock server (and a new workspace) knows, with their sample tokens.
SAMPLE_USERS: tuple[tuple[str, str], ...] = (("alice", "token-alice"), ("bob", "token-bob"))
