"""Partner contacts on the plan: people of a partner organisation (role ``partner``) who see
the plan actions assigned to their organisation, for residents who consented to that
partner, and report them done or not possible."""
