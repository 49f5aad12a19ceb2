"""What the mini-program shows a driver across domains: a plate's open stays and fees (anyone who types the
plate, as at a pay station), its history (only to an account that proved it drives the plate), lots near by.

Above payments in the layers (it reads the lanes' bill, the payments' stay token and orders); the bindings
themselves (openid -> plate) live lower, in ``parking.drivers``.
"""
