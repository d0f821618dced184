"""Konto billing: Products, orders, payments, invoices and the prepaid balance."""
