"""Payment channel adapters behind one ``PaymentChannel`` Protocol."""
