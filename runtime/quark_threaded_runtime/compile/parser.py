"""The parser: a recursive-descent parser from tokens to a :class:`~.model.Contract`.

The grammar, one method per rule::

    contract    = annotations "package" qname VERSION ( "{" members "}" | ";" members ) END
    members     = { annotations ( namespace | class | interface ) }
    namespace   = "namespace" qname "{" members "}"
    class       = "class" NAME ( "extends" adapter "{" "}" | "{" { annotations field } "}" )
    adapter     = "Client" "," NAME | "Server" "<" NAME ">"
    field       = type NAME ";"
    interface   = "interface" NAME "extends" "Service" "{" { annotations method } "}"
    method      = type NAME "(" annotations type NAME ")" ";"
    type        = "List" "<" type ">" | "Map" "<" "String" "," type ">" | NAME
    annotations = { "@" "doc" "(" STRING ")" | "@" "delegate" [ "(" anything ")" ] }

On an error the parser records it and skips to a point where parsing can
sensibly go on (the next field, method or declaration), so that one run
reports every syntax error rather than the first.
"""

from __future__ import annotations

from .doctext import doc_text
from .errors import Diagnostic, Position
from .model import Adapter, Contract, FieldDecl, Interface, MethodDecl, TypeRef, ValueClass
from .tokens import Kind, Token

__all__ = ["IGNORED_ANNOTATIONS", "parse"]

IGNORED_ANNOTATIONS = frozenset({"delegate"})
"""Annotations of the original Quark language that mean nothing to this runtime: accepted and ignored."""

_DECLARATION_KEYWORDS = frozenset({"package", "namespace", "class", "interface"})


def parse(tokens: list[Token], file: str) -> tuple[Contract | None, list[Diagnostic]]:
    """Parse the tokens of ``file``; returns the contract (``None`` if not even its package parsed) and diagnostics."""
    parser = _Parser(tokens, file)
    contract = parser.contract()
    return contract, parser.diagnostics


class _AbortError(Exception):
    """Unwinds to the nearest rule that can recover; the diagnostic is already recorded."""


class _Parser:
    def __init__(self, tokens: list[Token], file: str) -> None:
        self.tokens = tokens
        self.file = file
        self.index = 0
        self.diagnostics: list[Diagnostic] = []

    # -- token helpers -------------------------------------------------------

    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        if token.kind is not Kind.END:
            self.index += 1
        return token

    def at(self, kind: Kind, text: str | None = None) -> bool:
        return self.token.is_(kind, text)

    def at_punct(self, text: str) -> bool:
        return self.token.is_(Kind.PUNCT, text)

    def fail(self, expected: str, hint: str = "", *, missing: bool = False) -> _AbortError:
        """Record "expected X, found Y" at the token found; the caller raises the result.

        With ``missing`` (a forgotten ';' or ')'), if the token found is on a
        later line than the one before it, the message points at the end of
        that earlier line instead: that is where the missing token belongs.
        """
        position = self.token.position
        if missing and self.index > 0 and self.tokens[self.index - 1].end.line < position.line:
            position = self.tokens[self.index - 1].end
        self.error(position, f"expected {expected}, found {self.token.describe()}{hint}")
        return _AbortError()

    def error(self, position: Position, message: str) -> None:
        self.diagnostics.append(Diagnostic(position, message))

    def expect_punct(self, text: str, hint: str = "") -> Token:
        if not self.at_punct(text):
            raise self.fail(f"'{text}'", hint, missing=True)
        return self.advance()

    def expect_name(self, what: str) -> Token:
        if not self.at(Kind.NAME):
            raise self.fail(what)
        return self.advance()

    def expect_keyword(self, word: str) -> Token:
        if not self.at(Kind.KEYWORD, word):
            raise self.fail(f"'{word}'")
        return self.advance()

    def qualified_name(self, what: str) -> str:
        parts = [self.expect_name(what).text]
        while self.at_punct("."):
            self.advance()
            parts.append(self.expect_name(f"a name after '.' in {what}").text)
        return ".".join(parts)

    # -- recovery ------------------------------------------------------------

    def skip_declaration(self) -> None:
        """Skip to the next declaration, or to the '}' that closes the enclosing block."""
        depth = 0
        start = self.index
        while not self.at(Kind.END):
            token = self.token
            if depth == 0 and self.index > start:
                if token.kind is Kind.KEYWORD and token.text in _DECLARATION_KEYWORDS:
                    return
                if token.is_(Kind.PUNCT, "@"):
                    return
            if token.is_(Kind.PUNCT, "{"):
                depth += 1
            elif token.is_(Kind.PUNCT, "}"):
                if depth == 0:
                    return
                depth -= 1
                if depth == 0:
                    self.advance()
                    return
            self.advance()

    def skip_member(self) -> None:
        """Skip past the next ';', or to the '}' that closes the enclosing body or the next declaration."""
        depth = 0
        start = self.index
        while not self.at(Kind.END):
            token = self.token
            if depth == 0:
                if token.is_(Kind.PUNCT, ";"):
                    self.advance()
                    return
                if token.is_(Kind.PUNCT, "}"):
                    return
                # A keyword where a member's name was expected is skipped; one after it starts a declaration.
                if token.kind is Kind.KEYWORD and token.text in _DECLARATION_KEYWORDS and self.index > start:
                    return
            if token.kind is Kind.PUNCT and token.text in "({[":
                depth += 1
            elif token.kind is Kind.PUNCT and token.text in ")}]":
                depth = max(depth - 1, 0)
            self.advance()

    def skip_past_close(self) -> None:
        """Skip past the '}' that closes the body being parsed."""
        depth = 0
        while not self.at(Kind.END):
            token = self.advance()
            if token.is_(Kind.PUNCT, "{"):
                depth += 1
            elif token.is_(Kind.PUNCT, "}"):
                if depth == 0:
                    return
                depth -= 1

    # -- rules ---------------------------------------------------------------

    def contract(self) -> Contract | None:
        try:
            doc = self.annotations()
            self.expect_keyword("package")
            package = self.qualified_name("a package name")
            version = self.version()
        except _AbortError:
            return None
        contract = Contract(file=self.file, package=package, version=version, doc=doc)
        if self.at_punct("{"):
            opening = self.advance()
            self.members(contract, package, opening, "package " + package)
            if not self.at(Kind.END):
                self.fail("end of file after the package block")
        elif self.at_punct(";"):
            self.advance()
            # In the statement form the package is no namespace: a top-level namespace starts the wire names.
            self.members(contract, "", None, "")
        else:
            self.fail("'{' or ';' after the package version")
        return contract

    def version(self) -> str:
        token = self.token
        parts = token.text.split(".")
        if token.kind is not Kind.NUMBER or not all(part.isascii() and part.isdigit() for part in parts):
            raise self.fail("a version such as 1.0.0")
        self.advance()
        return token.text

    def members(self, contract: Contract, namespace: str, opening: Token | None, what: str) -> None:
        """Declarations up to the '}' matching ``opening`` (or to the end of file when it is None)."""
        while True:
            if opening is not None and self.at_punct("}"):
                self.advance()
                return
            if self.at(Kind.END):
                if opening is not None:
                    self.fail(f"'}}' to close {what} (opened at line {opening.position.line})")
                return
            try:
                self.member(contract, namespace)
            except _AbortError:
                self.skip_declaration()
                if opening is None and self.at_punct("}"):
                    # A '}' that closes nothing at the top level: already reported, go on after it.
                    self.advance()

    def member(self, contract: Contract, namespace: str) -> None:
        doc = self.annotations()
        if self.at(Kind.KEYWORD, "namespace"):
            self.advance()
            name = self.qualified_name("a namespace name")
            opening = self.expect_punct("{")
            inner = f"{namespace}.{name}" if namespace else name
            if doc is not None:
                contract.namespace_docs.append((inner, doc))
            self.members(contract, inner, opening, f"namespace {name}")
        elif self.at(Kind.KEYWORD, "class"):
            self.class_declaration(contract, namespace, doc)
        elif self.at(Kind.KEYWORD, "interface"):
            self.interface(contract, namespace, doc)
        else:
            raise self.fail("'class', 'interface' or 'namespace'")

    def class_declaration(self, contract: Contract, namespace: str, doc: str | None) -> None:
        self.advance()
        name_token = self.expect_name("a class name")
        name = name_token.text
        if self.at(Kind.KEYWORD, "extends"):
            self.advance()
            contract.declarations.append(self.adapter(name_token, doc))
            return
        value = ValueClass(name, name_token.position, _wire_name(contract, namespace, name), doc=doc)
        contract.declarations.append(value)
        opening = self.expect_punct("{")
        while not self.closes(opening, f"class {name}"):
            try:
                field_doc = self.annotations()
                field_type = self.type("a field type or '}'")
                field_name = self.expect_name("a field name")
                hint = " (methods belong in an interface)" if self.at_punct("(") else ""
                self.expect_punct(";", hint)
                value.fields.append(FieldDecl(field_name.text, field_name.position, field_type, field_doc))
            except _AbortError:
                self.skip_member()

    def adapter(self, name_token: Token, doc: str | None) -> Adapter:
        base = self.token
        if base.is_(Kind.NAME, "Client"):
            self.advance()
            self.expect_punct(",", " (a client adapter extends Client, <interface>)")
            service = self.expect_name("the interface the client calls")
            role = "client"
        elif base.is_(Kind.NAME, "Server"):
            self.advance()
            self.expect_punct("<", " (a server adapter extends Server<interface>)")
            service = self.expect_name("the interface the server serves")
            self.expect_punct(">")
            role = "server"
        else:
            raise self.fail("'Client' or 'Server' (only adapters extend; a value class extends nothing)")
        self.expect_punct("{")
        if not self.at_punct("}"):
            self.fail("'}'", " (an adapter's body is empty)")
        self.skip_past_close()
        return Adapter(name_token.text, name_token.position, role, service.text, service.position, doc)

    def interface(self, contract: Contract, namespace: str, doc: str | None) -> None:
        self.advance()
        name_token = self.expect_name("an interface name")
        self.expect_keyword("extends")
        if not self.at(Kind.NAME, "Service"):
            raise self.fail("'Service'")
        self.advance()
        wire_name = _wire_name(contract, namespace, name_token.text)
        interface = Interface(name_token.text, name_token.position, wire_name, doc=doc)
        contract.declarations.append(interface)
        opening = self.expect_punct("{")
        while not self.closes(opening, f"interface {interface.name}"):
            try:
                interface.methods.append(self.method())
            except _AbortError:
                self.skip_member()

    def method(self) -> MethodDecl:
        doc = self.annotations()
        result = self.type("a result type or '}'")
        name = self.expect_name("a method name")
        self.expect_punct("(", " (an interface declares methods only)" if self.at_punct(";") else "")
        argument_doc = self.annotations()
        if self.at_punct(")"):
            raise self.fail("an argument type (a method takes exactly one value)")
        argument = self.type("an argument type")
        argument_name = self.expect_name("an argument name")
        self.expect_punct(")", " (a method takes exactly one value)" if self.at_punct(",") else "")
        self.expect_punct(";")
        return MethodDecl(name.text, name.position, result, argument, argument_name.text, doc, argument_doc)

    def closes(self, opening: Token, what: str) -> bool:
        """True (and consumed) at the '}' ending a body; reports a body left open."""
        if self.at_punct("}"):
            self.advance()
            return True
        if self.at(Kind.END) or (self.token.kind is Kind.KEYWORD and self.token.text in _DECLARATION_KEYWORDS):
            self.fail(f"'}}' to close {what} (opened at line {opening.position.line})")
            return True
        return False

    def type(self, what: str) -> TypeRef:
        name = self.expect_name(what)
        if name.text == "List":
            self.expect_punct("<", " (write List<T>)")
            item = self.type("the item type of List")
            self.expect_punct(">", " (List takes one type)" if self.at_punct(",") else "")
            return TypeRef("List", name.position, [item])
        if name.text == "Map":
            self.expect_punct("<", " (write Map<String,T>)")
            if not self.at(Kind.NAME, "String"):
                raise self.fail("'String' (map keys are text)")
            key = self.advance()
            self.expect_punct(",")
            item = self.type("the value type of Map")
            self.expect_punct(">", " (Map takes a key and a value type)" if self.at_punct(",") else "")
            return TypeRef("Map", name.position, [TypeRef("String", key.position), item])
        return TypeRef(name.text, name.position)

    def annotations(self) -> str | None:
        """Zero or more annotations; returns the @doc text, if any, laid out by ``doctext.doc_text``."""
        doc: str | None = None
        while self.at_punct("@"):
            self.advance()
            name = self.expect_name("an annotation name")
            if name.text == "doc":
                self.expect_punct("(", ' (write @doc("text"))')
                if not self.at(Kind.STRING):
                    raise self.fail('a string (write @doc("text"))')
                text = self.advance().text
                self.expect_punct(")")
                if doc is not None:
                    self.error(name.position, "duplicate @doc: expected one @doc per declaration")
                doc = doc_text(text)
            elif name.text in IGNORED_ANNOTATIONS:
                self.skip_arguments()
            else:
                self.error(name.position, f"unknown annotation @{name.text}: expected @doc or @delegate")
                self.skip_arguments()
        return doc

    def skip_arguments(self) -> None:
        if not self.at_punct("("):
            return
        opening = self.advance()
        depth = 1
        while depth:
            if self.at(Kind.END):
                self.error(opening.position, "unclosed '(': expected ')', found end of file")
                raise _AbortError()
            if self.at_punct("("):
                depth += 1
            elif self.at_punct(")"):
                depth -= 1
            self.advance()


def _wire_name(contract: Contract, namespace: str, name: str) -> str:
    return f"{namespace or contract.package}.{name}"
