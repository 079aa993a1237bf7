"""hypothesis-jsonschema's `from_schema`, each subschema's strategy built once.

For an object, hypothesis-jsonschema builds the strategy of a property's schema anew for every
key of every example it draws (resolving its refs and canonicalising it each time): three
quarters of a property test's time on our run schemas. A strategy only describes what to draw,
so one built earlier for the same schema, alphabet and formats draws exactly what a new one
would (the same examples, byte for byte, under the derandomized CI profile); this memo hands it
back. It wraps the library's internal builder, pinned in requirements-dev.txt with the library.
"""

from __future__ import annotations

from typing import Any

import hypothesis_jsonschema._from_schema as _library
from hypothesis_jsonschema import from_schema
from hypothesis_jsonschema._canonicalise import encode_canonical_json

_BUILD = "__from_schema"  # module level: no name mangling
_build = getattr(_library, _BUILD)
# (schema as canonical JSON, id(alphabet), id(formats)) -> (strategy, alphabet, formats): the two
# kept so that their ids stay theirs.
_built: dict[tuple[Any, int, int], tuple[Any, Any, Any]] = {}


def _build_once(schema: Any, *, alphabet: Any, custom_formats: Any) -> Any:
    key = (schema if isinstance(schema, bool) else encode_canonical_json(schema), id(alphabet), id(custom_formats))
    built = _built.get(key)
    if built is None:
        built = _built[key] = (
            _build(schema, alphabet=alphabet, custom_formats=custom_formats),
            alphabet,
            custom_formats,
        )
    return built[0]


setattr(_library, _BUILD, _build_once)

__all__ = ["from_schema"]
