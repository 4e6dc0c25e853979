"""Calendar feeds: a secret, revocable iCalendar address per person (RFC 5545).

``models`` holds the feed tokens, ``services`` issues and revokes them, ``ical`` builds the
feed from a person's commitments (pure: plain values in, bytes out) and ``views`` serves it
and the page to make a new address.
"""
