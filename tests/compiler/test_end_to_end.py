"""A second contract, compiled by the command line, served over HTTP and called with its own client."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from quark_threaded_runtime import Runtime
from quark_threaded_runtime.errors import FieldTypeError

STORE = Path(__file__).resolve().parent / "contracts" / "store.q"


def compile_and_import(tmp_path: Path) -> ModuleType:
    """Compile contracts/store.q with the command line into ``tmp_path`` and import the library."""
    (tmp_path / "store.q").write_text(STORE.read_text(encoding="utf-8"), encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "quark_threaded_runtime.compile", "store.q", "-o", "store_library.py"],
        cwd=tmp_path,
        check=True,
        timeout=60,
    )
    spec = importlib.util.spec_from_file_location(f"store_library_{tmp_path.name}", tmp_path / "store_library.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def store(tmp_path: Path) -> ModuleType:
    """The compiled store library, imported under a name of this test's own."""
    return compile_and_import(tmp_path)


class StoreImpl:
    """The user's side: implements both methods of the compiled Store interface."""

    def __init__(self, store: ModuleType) -> None:
        self.store = store
        self.placed: list[object] = []

    def place(self, order):
        self.placed.append(order)
        return self.store.Receipt(id=f"r{len(self.placed)}", notes=[line.product for line in order.lines])

    def quote(self, order):
        cents = sum(line.quantity * line.unit.cents for line in order.lines)
        return self.store.Total(
            total=self.store.Price(cents=cents + (500 if order.rush else 0), currency="EUR"),
            quantities={line.product: line.quantity for line in order.lines},
            weight=0.25 * len(order.lines),
        )


def test_compiled_contract_serves_and_calls_over_http(store: ModuleType) -> None:
    runtime = Runtime()
    implementation = StoreImpl(store)
    try:
        url = runtime.serveHTTP("http://127.0.0.1:0/store", store.StoreServer(runtime, implementation), block=False)
        assert url.startswith("http://127.0.0.1:") and url.endswith("/store")
        with store.StoreClient(runtime, url, timeout=5.0) as client:
            order = store.Order(
                customer="ada",
                lines=[
                    store.Line(product="tea", quantity=2, unit=store.Price(cents=350, currency="EUR")),
                    store.Line(product="cup", quantity=1, unit=store.Price(cents=900, currency="EUR")),
                ],
                labels={"gift": "yes", "note": "fragile"},
                rush=True,
            )
            total = client.quote(order)
            assert total == store.Total(
                total=store.Price(cents=2100, currency="EUR"), quantities={"tea": 2, "cup": 1}, weight=0.5
            )
            receipt = client.place(order)
            assert receipt == store.Receipt(id="r1", notes=["tea", "cup"])
            # The server decoded exactly the nested values the client sent.
            assert implementation.placed == [order]
            assert implementation.placed[0].labels == {"gift": "yes", "note": "fragile"}
            with pytest.raises(FieldTypeError):
                client.place(store.Receipt(id="not an order"))
    finally:
        runtime.stop()


def test_compiled_library_matches_the_contract(store: ModuleType) -> None:
    assert sorted(store.Store.__methods__) == ["place", "quote"]
    assert store.Order.__fields__["lines"].type.name == "List<store.Line>"
    assert store.Order.__fields__["labels"].type.name == "Map<String,String>"
    assert store.Line.__fields__["unit"].type.name == "store.Price"
    assert store.__doc__.splitlines()[2] == "A tiny store: put orders in, ask what they cost."
