from django import template

from stemnet.core.money import format_amount, format_euro

register = template.Library()


@register.filter
def amount(value) -> str:
    """``€ {{ x|amount }}`` → "€ 308.500,00" (Dutch) or "€ 308,500.00" (English)."""
    return format_amount(value)


@register.filter
def euro(value) -> str:
    """``{{ x|euro }}`` → "€ 308.500,00"."""
    return format_euro(value)
