"""The API's limit/offset pagination with bounds (an unbounded offset overflowed the database)."""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from stemnet.core.tabular import MAX_WHOLE

MAX_LIMIT = 1000


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_WHOLE)
