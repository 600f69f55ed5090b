DEFAULT_PORT = 8080  # the status page's own port (`driftbot web`)
