"""The APIs' endpoints: ``hsds`` (the public HSDS 3.0 API), ``partner``
(the partner API for member organisations' systems) and ``tokens`` (the
staff pages where an organisation's administrator issues and revokes API
tokens)."""
