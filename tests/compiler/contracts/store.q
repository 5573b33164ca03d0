// A second contract, served end to end in the tests: two methods, a list
// field, a map field and value classes nested in value classes.

@doc("A tiny store: put orders in, ask what they cost.")
package store 0.3.0 {

    @doc("One line of an order.")
    class Line {
        String product;
        int quantity;
        Price unit;          // declared below: the compiler orders classes by use
    }

    class Price {
        long cents;
        String currency;
    }

    @doc("An order: lines, and free-form labels.")
    class Order {
        String customer;
        List<Line> lines;
        Map<String,String> labels;
        bool rush;
    }

    class Total {
        Price total;
        Map<String,int> quantities;
        float weight;
    }

    class Receipt {
        String id;
        List<String> notes;
    }

    interface Store extends Service {
        @doc("Record an order.")
        Receipt place(Order order);

        @doc("What an order would cost.")
        Total quote(Order order);
    }

    class StoreClient extends Client, Store {}
    class StoreServer extends Server<Store> {}
}
