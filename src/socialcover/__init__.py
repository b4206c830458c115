"""socialcover: open software for extending social security to everyone.

Domain packages (see DESIGN.md): ``data`` (reference data pack), ``survey`` (design-based
estimation), ``indicators``, ``costing``, ``microsim``, ``store``, ``knowledge``, ``actors``,
``web``, ``cli`` and ``testing`` (a demo country and a synthetic survey generator).
"""

from socialcover.errors import SocialcoverError, SocialcoverWarning

__version__ = "0.1.0"

__all__ = ["SocialcoverError", "SocialcoverWarning", "__version__"]
