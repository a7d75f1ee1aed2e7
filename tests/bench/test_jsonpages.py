"""The item-by-item decoder gives exactly what json.loads gives, and fails where it fails."""

from __future__ import annotations

import json

import pytest

from tui.graph import jsonpages

DOCUMENTS = [
    '{"@odata.context":"x","value":[{"id":"a","n":[1,2]},{"id":"b"}],"@odata.nextLink":"u"}',
    ' { "value" : [ ] , "other" : { "a" : [1] } } ',
    '{"value":[1, "two", null, true, {"k": [[]]}], "value2": []}',
    '{}',
    '[1, 2, 3]',
    '{"dup": [1], "dup": [2]}',
    '{"text": "caf\\u00e9 \u2713", "list": ["\\"quoted\\""]}',
]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_same_value_as_json_loads(document: str) -> None:
    assert jsonpages.loads(document) == json.loads(document)
    assert jsonpages.loads(document.encode()) == json.loads(document)


@pytest.mark.parametrize("broken", ['{"value":[1,2}', '{"a":1', '{"a" 1}', '{"value":[1]} x',
                                    '{1: 2}', '', '{"value":[1,]}'])
def test_broken_documents_raise_value_error(broken: str) -> None:
    with pytest.raises(ValueError):
        jsonpages.loads(broken)
