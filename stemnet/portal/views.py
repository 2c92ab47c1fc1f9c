from django.shortcuts import render


def home(request):
    return render(request, "portal/home.html", {})


def news_list(request):
    return render(request, "portal/home.html", {})


def contact(request):
    return render(request, "portal/home.html", {})


def privacy(request):
    return render(request, "portal/home.html", {})


def accessibility(request):
    return render(request, "portal/home.html", {})


def sources(request):
    return render(request, "portal/home.html", {})
