"""The permission matrix of the whole site: every API operation and every HTML page, as
anonymous, as each role and against another customer's or another team's object."""
