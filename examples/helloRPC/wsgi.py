"""The Hello service as a WSGI application, for hosting under a production WSGI server.

From this directory::

    gunicorn --bind 127.0.0.1:8910 wsgi:application

Clients call it exactly as they call ``pyserver.py``, at http://127.0.0.1:8910/hello.
"""

from pyserver import HelloImpl

from quark_threaded_runtime import get_runtime

import hello

runtime = get_runtime()
application = runtime.wsgi_application({"/hello": hello.HelloServer(runtime, HelloImpl())})
