"""The plans of the providers whose run is assembled from several operations (or needs more than
its spec says), one module per provider, named after its spec (`specs/<name>.yaml`): its
`plan_get_run` (how each of its lists pages is declared in its spec, `x-agentruns: pages`). A provider whose run is its run
operation alone has no module here: `make regen` writes its plan from the spec
(agentruns/clients/<name>.py)."""
