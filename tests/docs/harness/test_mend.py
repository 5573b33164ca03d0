"""The update mode's one edit: a block's text replaced in its page, at its indentation, nothing else touched."""

from __future__ import annotations

import pytest
from docs_harness.mend import MendError, mend, mend_all

REST = """Title
=====

.. code-block:: console
   :name: output-client

   $ python pyclient.py
   Request:  hi
   Response: old

After.
"""

MYST = """# Title

1. A step:

   ```text
   line one
   old
   ```
"""


def test_a_rest_block_gets_its_new_text_at_its_indentation():
    new = mend(
        REST,
        4,
        "$ python pyclient.py\nRequest:  hi\nResponse: old",
        "$ python pyclient.py\nRequest:  hi\nResponse: new",
    )
    assert new == REST.replace("Response: old", "Response: new")


def test_a_myst_block_in_a_list_item_keeps_its_indentation_and_may_grow():
    new = mend(MYST, 5, "line one\nold", "line one\nnew\n\nthird")
    assert new == MYST.replace("   old\n", "   new\n\n   third\n")


def test_a_block_that_is_not_there_is_an_error_naming_the_place():
    with pytest.raises(MendError, match=r"page.rst:4: the block's text was not found"):
        mend(REST, 4, "$ python other.py", "x", "page.rst:4")


def test_blocks_of_one_page_are_mended_bottom_up_so_a_shrinking_one_moves_none():
    page = REST + "\n.. code-block:: text\n\n   second\n   old\n"
    first = "$ python pyclient.py\nRequest:  hi\nResponse: old"
    new = mend_all(page, [(4, first, "$ python pyclient.py"), (14, "second\nold", "second\nnew")], "page.rst")
    assert new == page.replace("   Request:  hi\n   Response: old\n", "").replace("   old\n", "   new\n")
