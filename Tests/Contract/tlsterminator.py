"""A TLS terminator in front of a plain-HTTP server, standard library only: HTTPS for tests with no internet.

    with TLSTerminator(("127.0.0.1", upstream.port), cert, key) as tls:   # listens on 127.0.0.1, a free port
        ...  tls.url  →  https://127.0.0.1:PORT                             # bytes piped both ways as they come

Each accepted TLS connection gets its own plain TCP connection to the target; bytes are piped both ways as
they arrive (a stream stays a stream). End of stream on one side closes the other (TLS with close_notify);
a reset on one side aborts the other, so a dropped connection stays a dropped connection. All of it runs on
one asyncio loop in a background thread: each SSL object is only ever touched by that thread.
"""
from __future__ import annotations

import asyncio
import ssl
import threading
from pathlib import Path


class TLSTerminator:
    def __init__(self, target: tuple[str, int], certfile: Path | str, keyfile: Path | str, host: str = "127.0.0.1"):
        self.target = target
        self.handshakes = 0                 # TLS connections that completed their handshake
        self.problems: list[str] = []       # what the loop reported (handshake failures, ...)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(certfile), str(keyfile))
        self._writers: set[asyncio.StreamWriter] = set()
        self._loop = asyncio.new_event_loop()
        self._loop.set_exception_handler(lambda _loop, ctx: self.problems.append(str(ctx.get("exception") or ctx["message"])))
        self._thread = threading.Thread(target=self._loop.run_forever, name="tls-terminator", daemon=True)
        self._thread.start()
        start = asyncio.start_server(self._connection, host, 0, ssl=context, ssl_handshake_timeout=10)
        self._server = asyncio.run_coroutine_threadsafe(start, self._loop).result(10)
        self.port = self._server.sockets[0].getsockname()[1]
        self.url = f"https://{host}:{self.port}"

    def __enter__(self) -> "TLSTerminator":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        """Stops listening and aborts every open connection (both sides)."""
        if not self._loop.is_running():
            return

        async def shutdown() -> None:
            self._server.close()
            for writer in list(self._writers):
                writer.transport.abort()
            await self._server.wait_closed()

        asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    async def _connection(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        self.handshakes += 1
        self._writers.add(client_writer)
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        except OSError:
            client_writer.transport.abort()   # the target refused: so does the terminator
            self._writers.discard(client_writer)
            return
        self._writers.add(upstream_writer)
        await asyncio.gather(self._pipe(client_reader, upstream_writer), self._pipe(upstream_reader, client_writer))
        self._writers.difference_update((client_writer, upstream_writer))

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (OSError, ssl.SSLError):      # reset (or a broken TLS session): the other side is reset too
            writer.transport.abort()
            return
        writer.close()                        # end of stream: the other side ends too
