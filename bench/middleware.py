import time

from django.db import connection

HEADER = "X-Bench-Queries"
CPU_HEADER = "X-Bench-CPU-us"


class QueryCountMiddleware:
    """Counts the SQL queries of each request (middleware, view and template) into a response header,
    and the CPU time the worker spent on it (the request inside Django, not the database's)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        cpu = time.thread_time()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response[HEADER] = str(count)
        response[CPU_HEADER] = str(round((time.thread_time() - cpu) * 1_000_000))
        return response
