// Long names, long docs, quotes and escapes: the layout cases of the code generator.
@doc("A package whose docs and names push the layout: long texts, quotes, escapes.")
package layout.check 3.2.1 {
    @doc("A value class with a very long docstring that cannot possibly fit on one line of one hundred and twenty columns, so it wraps.")
    class AValueClassWithAQuiteLongNameIndeed {
        @doc("A field whose documentation is so long that the call to field() has to be split over several lines by the formatter.")
        List<Map<String,List<Map<String,AnotherValueClassWithAnEvenLongerNameForGoodMeasure>>>> deeplyNestedFieldName;
        @doc("Medium text that needs the arguments on their own line...............................")
        Map<String,String> medium;
        @doc("She said \"no\" and 'yes'") String quotes;
        @doc("It said \"no\"") String doubles;
        @doc("ends with quote \"") String ending;
        @doc("  padded  \n    indented line\n\n  next paragraph  ") String padded;
        @doc("tab\tand unicode \u00e9 and backslash \\ and bell \u0007") String escapes;
    }
    class AnotherValueClassWithAnEvenLongerNameForGoodMeasure {}
    @doc("Ends with a quote\"")
    interface TheServiceInterfaceWithALongName extends Service {
        @doc("A method whose documentation is also long enough to need a second line when it is written as a doc= argument.")
        AValueClassWithAQuiteLongNameIndeed aMethodWithALongName(AnotherValueClassWithAnEvenLongerNameForGoodMeasure argument);
    }
    class TheClientAdapterForTheServiceInterfaceWithALongName extends Client, TheServiceInterfaceWithALongName {}
    class S extends Server<TheServiceInterfaceWithALongName> {}
}
