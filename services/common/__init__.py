"""What every channel adapter shares: the resources it is lent by its composition root."""

from services.common.deps import AdapterDeps, AdapterDepsDep, adapter_deps, deps_of

__all__ = ["AdapterDeps", "AdapterDepsDep", "adapter_deps", "deps_of"]
