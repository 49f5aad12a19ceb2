"""Electronic invoices (电子发票) for parking payments."""
