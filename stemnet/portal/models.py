"""The public face of STEMnet: editor-managed news and the contact form's messages."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from stemnet.core.models import TimeStamped


class NewsArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """Articles whose publication moment has come; the rest are drafts or scheduled."""
        return self.filter(publish_at__lte=now or timezone.now())


class NewsArticle(TimeStamped):
    """A news article written by an editor, in Dutch and (optionally) English."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=220,
        unique=True,
        help_text=_("The last part of the article's web address, e.g. network-day-2024."),
    )
    summary = models.TextField(
        _("summary"), max_length=500, help_text=_("One or two sentences shown in lists.")
    )
    body = models.TextField(
        _("text"), help_text=_("Plain text; an empty line starts a new paragraph.")
    )
    publish_at = models.DateTimeField(
        _("publish at"),
        default=timezone.now,
        db_index=True,
        help_text=_("The article is public from this moment on; a later moment schedules it."),
    )
    is_demo = models.BooleanField(
        _("demo article"),
        default=False,
        help_text=_("Written for the demo; shown with a “demo” tag."),
    )
    image = models.ImageField(_("image"), upload_to="news/", blank=True)
    image_alt = models.CharField(
        _("image description"),
        max_length=250,
        blank=True,
        help_text=_("Describes the image for people who cannot see it. Required with an image."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="news_articles",
    )

    objects = NewsArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:news_detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.image and not (getattr(self, "image_alt_nl", "") or self.image_alt):
            raise ValidationError(
                {"image_alt_nl": _("Describe the image for people who cannot see it.")}
            )

    @property
    def is_published(self) -> bool:
        return self.publish_at <= timezone.now()

    @property
    def content_language(self) -> str:
        """The language the title is shown in: the active one, or Dutch when untranslated."""
        language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        if getattr(self, f"title_{language}", None):
            return language
        return settings.MODELTRANSLATION_DEFAULT_LANGUAGE


class ContactMessage(models.Model):
    """A message sent with the public contact form. Deleted 12 months after it came in."""

    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail address"))
    subject = models.CharField(_("subject"), max_length=200)
    message = models.TextField(_("message"), max_length=5000)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="nl"
    )
    ip_hash = models.CharField(
        _("sender fingerprint"),
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_("Keyed SHA-256 hash of the sender's IP address; the address is not stored."),
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    handled = models.BooleanField(_("handled"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")

    def __str__(self) -> str:
        return f"{self.subject} ({self.name})"
