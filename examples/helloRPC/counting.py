"""A Hello implementation that keeps state between calls: how many times it was sent each text."""

import threading

from pyserver import HelloImpl


class CountingHelloImpl(HelloImpl):
    """Answers as HelloImpl does, and counts the calls for each request text, also when calls run at once."""

    def __init__(self):
        self.counts = {}
        self.lock = threading.Lock()

    def hello(self, request):
        with self.lock:
            count = self.counts.get(request.text, 0)
            self.counts[request.text] = count + 1
        return super().hello(request)
