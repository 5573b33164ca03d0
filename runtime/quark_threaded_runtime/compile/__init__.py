"""The contract compiler: from a ``.q`` contract to the Python library that declares it.

Run it as ``python -m quark_threaded_runtime.compile hello.q -o hello.py``
(or ``quark-compile``), or call :func:`compile_source` / :func:`compile_file`.

The language it reads is the original Quark IDL's, reduced to what the
runtime serves. This complete contract holds one of each kind of
declaration, and its comments say what else each place accepts:

.. code-block:: java

    /* A block comment. What follows holds one of each kind of declaration;
       line comments run from // to the end of the line. */
    @doc("The package's text: the library's docstring.")
    package hello 1.0.0 {                   // or: package hello 1.0.0;  then namespace blocks
        namespace greetings {               // wire names become hello.greetings.Request, ...
            @doc("Goes into the class's docstring.")
            class Request {                 // a value class; its fields' types are
                String text;                // String, int, long, float, bool,
                List<String> tags;          // List<T>, Map<String,T>
                Map<String,float> weights;
            }
            class Response {
                String result;
                Request request;            // and the contract's value classes
            }
            interface Hello extends Service {
                @doc("Becomes the method's doc=.")
                Response hello(Request request);   // one value in, one value out
            }
            class HelloClient extends Client, Hello {}
            class HelloServer extends Server<Hello> {}
        }
    }

``@doc("...")`` may stand before anything (the package, a namespace, a
class, a field, a method, a method's argument); its text becomes the
generated docstring or ``doc=``, laid out the way Python reads a docstring
(tabs become spaces, shared indentation goes; ``compile/doctext.py`` has the
rules), so that both hold the same text on every Python version. The
original's ``@delegate(...)`` is accepted and ignored (this runtime always
sends calls over HTTP); any other annotation is
an error, so that a misspelt ``@doc`` is not silently dropped.

Names must work as Python names in one flat module: a name may be declared
once in the whole file (namespaces do not separate Python names), and Python
keywords, names starting with ``_``, the IDL's type names and the names the
library imports (``Value``, ``field``, ...) are refused, as are method names
the adapters already use (``close``, ``invoke``, ...).

Errors are reported all at once, one per line, as
``file:line:column: expected X, found Y``; see :class:`~.errors.CompileError`.

In the ``package name version { ... }`` form the package is the namespace of
what it holds (``hello.Request``); in the ``package name version;`` form the
namespace blocks that follow name the wire names, as in the original.
"""

from __future__ import annotations

import os
from pathlib import Path

from .checks import check
from .codegen import generate
from .errors import CompileError, Diagnostic, Position
from .lexer import tokenize
from .parser import parse

__all__ = ["CompileError", "Diagnostic", "Position", "compile_file", "compile_source", "source_name"]


def compile_source(text: str, file: str, *, source_name: str | None = None) -> str:
    """Compile the contract ``text`` read from ``file`` (the name errors show) into Python source.

    ``source_name`` is the name the generated docstring gives the source
    (``file`` if not given). Raises :class:`~.errors.CompileError` listing
    every problem found.
    """
    tokens, diagnostics = tokenize(text, file)
    contract, parse_diagnostics = parse(tokens, file)
    diagnostics += parse_diagnostics
    if contract is not None:
        diagnostics += check(contract)
    if diagnostics or contract is None:
        raise CompileError(diagnostics)
    return generate(contract, source_name or file)


def compile_file(source: str | os.PathLike[str], output: str | os.PathLike[str] | None = None) -> str:
    """Read the contract at ``source`` and return its library's source text.

    The generated docstring names ``source`` relative to the folder of
    ``output`` (or to the current folder), so the text does not depend on
    where the command runs. Raises :class:`OSError` or
    :class:`UnicodeDecodeError` if ``source`` cannot be read, and
    :class:`~.errors.CompileError` if it does not compile.
    """
    # utf-8-sig: a byte-order mark some editors write is not part of the contract.
    text = Path(source).read_text(encoding="utf-8-sig")
    return compile_source(text, os.fspath(source), source_name=source_name(source, output))


def source_name(source: str | os.PathLike[str], output: str | os.PathLike[str] | None = None) -> str:
    """How the generated library names ``source``: relative to ``output``'s folder, with ``/`` separators."""
    base = Path(output).parent if output is not None else Path()
    try:
        relative = os.path.relpath(Path(source).absolute(), base.absolute())
    except ValueError:  # another drive on Windows: no relative path exists
        relative = os.fspath(source)
    return Path(relative).as_posix()
