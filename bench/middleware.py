"""Reports what a request cost the server: its SQL queries and its CPU time, in headers.

The CPU time is the worker thread's own (time.thread_time): it moves less than requests/s when
other processes compete for the machine, so it cross-checks the throughput figures.
"""

import time

from django.db import connections

HEADER = "X-Bench-Queries"
CPU_HEADER = "X-Bench-CPU-us"


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        start = time.thread_time_ns()
        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        response[CPU_HEADER] = str((time.thread_time_ns() - start) // 1000)
        response[HEADER] = str(count)
        return response
