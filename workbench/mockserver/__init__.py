"""The mock developer server: a Starlette app served by uvicorn inside the caller's asyncio loop."""
