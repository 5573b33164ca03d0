"""The mistakes readers make while following the tutorial get messages that name them, not riddles.

Each test makes one mistake of the "When your program fails" page with a small
contract of its own and checks the runtime's message: a misspelled field, the
class passed where an instance belongs, a misnamed method, a wrong result.
"""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
import textwrap

import pytest

from quark_threaded_runtime import ContractError, Dispatcher, ResultTypeError, Runtime
from quark_threaded_runtime.contract import Server, Service, String, Value, field, method
from quark_threaded_runtime.contract.types import describe


class Request(Value, name="hello.Request"):
    text = field(String)


class Response(Value, name="hello.Response"):
    result = field(String)


class Hello(Service, name="hello.Hello"):
    hello = method(Request, Response)


class HelloServer(Server[Hello]):
    pass


class Misnamed:
    def helo(self, request):
        return Response(result=request.text)


class ReturnsText:
    def hello(self, request):
        return "Responding to [" + request.text + "] from Python, and more text than a message should quote"


def test_a_misspelled_field_names_the_fields_there_are():
    with pytest.raises(AttributeError, match=r"^hello.Request has no field 'txt' \(fields: text\)$"):
        Request(text="hi").txt  # noqa: B018 - the mistake itself


def test_the_class_instead_of_an_instance_is_refused_saying_so():
    with pytest.raises(ContractError, match=r"HelloServer takes an instance of your implementation, not the class "):
        HelloServer(Runtime(), Misnamed)


def test_a_misnamed_method_is_named_with_what_the_class_has():
    with pytest.raises(
        ContractError, match=r"^Misnamed does not implement hello, declared by hello.Hello \(it has helo\)$"
    ):
        HelloServer(Runtime(), Misnamed())


def test_a_long_text_is_quoted_whole_then_marked_as_cut():
    shown = describe("x" * 100)
    assert shown == "a str ('" + "x" * 40 + "'...)"


def test_a_wrong_result_is_logged_in_one_line(caplog):
    dispatcher = Dispatcher({"/hello": HelloServer(Runtime(), ReturnsText())})
    body = json.dumps({"$method": "hello", "rpc": {"$class": "hello.Request", "text": "hi"}}).encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/hello",
        "SCRIPT_NAME": "",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    statuses = []
    with caplog.at_level(logging.ERROR):
        answer = b"".join(dispatcher(environ, lambda status, headers, *_: statuses.append(status)))
    assert statuses == ["500 Internal Server Error"], answer
    (record,) = caplog.records
    assert record.exc_info is None
    assert record.getMessage() == (
        "ReturnsText.hello returned a str ('Responding to [hi] from Python, and more'...), expected a hello.Response"
    )
    assert isinstance(ResultTypeError("x"), ContractError)


def test_a_program_that_ends_on_a_contract_error_prints_one_line(tmp_path):
    program = textwrap.dedent(
        """
        from quark_threaded_runtime import get_runtime
        from quark_threaded_runtime.errors import ContractError
        get_runtime()
        raise ContractError("HelloImpl does not implement hello, declared by hello.Hello (it has helo)")
        """
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 1
    assert done.stderr == "error: HelloImpl does not implement hello, declared by hello.Hello (it has helo)\n"


def test_other_errors_keep_their_traceback(tmp_path):
    program = "from quark_threaded_runtime import get_runtime\nget_runtime()\nraise ValueError('mine')\n"
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 1
    assert done.stderr.startswith("Traceback (most recent call last):") and "ValueError: mine" in done.stderr


def test_a_wrong_field_value_keeps_its_traceback(tmp_path):
    program = textwrap.dedent(
        """
        from quark_threaded_runtime import get_runtime
        from quark_threaded_runtime.contract import String, Value, field
        class Request(Value, name="hello.Request"):
            text = field(String)
        get_runtime()
        Request().text = 5
        """
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 1
    assert done.stderr.startswith("Traceback (most recent call last):") and "line 7, in <module>" in done.stderr
