"""PDF documents drawn with reportlab: plain data in, PDF bytes out; fonts registered once."""
