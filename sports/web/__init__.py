"""Web layer: blueprints by audience (public, referee, admin, api) and login."""
