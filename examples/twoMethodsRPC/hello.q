// The Hello service contract: one interface, the values it exchanges,
// and the adapters that connect it to clients and servers.

package hello 1.1.0 {

    @doc("What a client sends: the text it wants the server to answer.")
    class Request {
        String text;
    }

    @doc("What the server sends back: its answer to the request's text.")
    class Response {
        String result;
    }

    @doc("The Hello service: one method that answers a greeting, one that says goodbye.")
    interface Hello extends Service {

        @doc("Answer the request's text with a response.")
        Response hello(Request request);

        @doc("Answer the request's text with a farewell.")
        Response goodbye(Request request);
    }

    @doc("Calls a Hello service over HTTP.")
    class HelloClient extends Client, Hello {}

    @doc("Serves a Hello implementation over HTTP.")
    class HelloServer extends Server<Hello> {}
}
