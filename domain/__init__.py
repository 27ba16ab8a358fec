"""The IKU domain of a kecamatan: pure Python, no Telegram, no database.

Everything an official report prints is computed here, exactly, with ``Decimal``
or ``Fraction`` and rounded once at the edge (half-up), as ``domain.md`` decides.
"""
