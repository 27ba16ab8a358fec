"""The IKU report as text and JSON, the Excel workbook, and the survey's QR codes."""
