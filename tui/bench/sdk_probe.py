# type: ignore
"""Run by the SDK's own interpreter (a separate venv), never imported by cal365.

`python sdk_probe.py BASE_URL TOKEN START END TOP` lists the calendarView window through
msgraph-sdk and prints {"seconds", "events", "pages"}.
"""

import asyncio
import json
import sys
import time


async def main(base_url: str, token: str, start: str, end: str, top: int) -> dict:
    from kiota_abstractions.authentication import (
        AccessTokenProvider,
        AllowedHostsValidator,
        BaseBearerTokenAuthenticationProvider,
    )
    from kiota_abstractions.base_request_configuration import RequestConfiguration
    from msgraph import GraphRequestAdapter, GraphServiceClient
    from msgraph.generated.users.item.calendar.calendar_view.calendar_view_request_builder import (
        CalendarViewRequestBuilder,
    )

    class StaticToken(AccessTokenProvider):
        async def get_authorization_token(self, uri, additional_authentication_context=None):
            return token

        def get_allowed_hosts_validator(self):
            return AllowedHostsValidator([])

    adapter = GraphRequestAdapter(BaseBearerTokenAuthenticationProvider(StaticToken()))
    adapter.base_url = base_url
    client = GraphServiceClient(request_adapter=adapter)
    params = CalendarViewRequestBuilder.CalendarViewRequestBuilderGetQueryParameters(
        start_date_time=start, end_date_time=end, orderby=["start/dateTime"], top=top,
        select=sys.argv[6].split(","),
    )
    config = RequestConfiguration(query_parameters=params)
    config.headers.add("Prefer", 'outlook.timezone="UTC"')
    builder = client.me.calendar.calendar_view
    # Untimed first call: the SDK imports its model classes on first use.
    warm = CalendarViewRequestBuilder.CalendarViewRequestBuilderGetQueryParameters(
        start_date_time=start, end_date_time=end, top=1, select=["id"])
    await builder.get(request_configuration=RequestConfiguration(query_parameters=warm))
    began = time.perf_counter()
    page = await builder.get(request_configuration=config)
    events = len(page.value or [])
    pages = 1
    while page.odata_next_link:
        page = await builder.with_url(page.odata_next_link).get()
        events += len(page.value or [])
        pages += 1
    return {"seconds": time.perf_counter() - began, "events": events, "pages": pages}


if __name__ == "__main__":
    base, tok, lo, hi, size = sys.argv[1:6]
    print(json.dumps(asyncio.run(main(base, tok, lo, hi, int(size)))), flush=True)
