"""Pages of the activities app: public pages in ``public``."""
