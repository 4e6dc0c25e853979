"""Support: the life of a help request and of the support given for it, in one place.

``lifecycle`` moves a request through its statuses (open → matched → in progress → closed,
by whom and how); ``events`` holds the signals other features listen to. This package
imports no feature's services: features call it, and it tells them what happened.
"""
