"""``python -m exactlift.gallery``: rewrite the shipped gallery case files."""

from exactlift.gallery import build_gallery

if __name__ == "__main__":  # pragma: no cover
    for path in build_gallery():
        print(path)
