class RequireMFAMiddleware:
    """Placeholder replaced in the accounts work: VLAIO staff and reviewers must use MFA."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)
