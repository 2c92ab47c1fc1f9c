"""Settings of an app server that a test starts in a subprocess (gunicorn on 127.0.0.1).

The test settings (fast hasher, plain static files, immediate tasks), with the durable
outbox delivering over SMTP to ``EMAIL_HOST``:``EMAIL_PORT`` and the database from
``DATABASE_URL``, both given by the test.
"""

from stemnet.settings_test import *  # noqa: F403

EMAIL_BACKEND = "stemnet.core.mail.OutboxBackend"
OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_TIMEOUT = 5
ACCOUNT_RATE_LIMITS = False  # the load comes from one address
CONTACT_RATE_LIMIT_PER_HOUR = 100_000
