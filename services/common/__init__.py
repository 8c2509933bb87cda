"""What every channel adapter shares: the resources it is lent by its composition root."""

from services.common.deps import AdapterDeps, AdapterDepsDep, adapter_deps, deps_of
from services.common.routes import PlainRoute

__all__ = ["AdapterDeps", "AdapterDepsDep", "PlainRoute", "adapter_deps", "deps_of"]
