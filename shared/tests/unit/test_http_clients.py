import uvicorn

from qgov_shared.http.clients import SERVER_KEEPALIVE_S, pooled_client


async def test_a_pooled_client_lets_go_of_an_idle_connection_before_the_server_does():
    assert uvicorn.Config("qgov_gateway.main:create_app").timeout_keep_alive == SERVER_KEEPALIVE_S
    async with pooled_client("http://gateway", timeout_s=5) as client:
        pool = client._transport._pool  # httpx exposes the expiry nowhere else
        assert pool._keepalive_expiry < SERVER_KEEPALIVE_S
