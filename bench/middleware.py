from django.db import connection

HEADER = "X-Bench-Queries"


class QueryCountMiddleware:
    """Counts the SQL queries of each request (middleware, view and template) into a response header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response[HEADER] = str(count)
        return response
